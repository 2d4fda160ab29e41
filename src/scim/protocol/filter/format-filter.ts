import { ComparisonValue, FilterNode, formatAttributePath } from './filter-ast';

/**
 * Writes an AST back as filter text that parses to the same AST: for logs, error details and tests.
 * Parentheses are added exactly where precedence would otherwise regroup the tree (trap T4): an `or` inside
 * an `and`, and any same-kind chain nested in another.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${formatAttributePath(node.path)} ${node.operator} ${formatValue(node.value)}`;
    case 'present':
      return `${formatAttributePath(node.path)} pr`;
    case 'and':
      return node.filters
        .map((child) => (child.kind === 'and' || child.kind === 'or' ? `(${formatFilter(child)})` : formatFilter(child)))
        .join(' and ');
    case 'or':
      return node.filters.map((child) => (child.kind === 'or' ? `(${formatFilter(child)})` : formatFilter(child))).join(' or ');
    case 'not':
      return `not (${formatFilter(node.filter)})`;
    case 'valuePath':
      return `${formatAttributePath(node.path)}[${formatFilter(node.filter)}]`;
  }
}

function formatValue(value: ComparisonValue): string {
  // JSON.stringify(-0) is "0"; keep the sign so the text parses back to the same number.
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}
