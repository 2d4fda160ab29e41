export type { AttributeName, AttributePath, ComparisonOperator, ComparisonValue, FilterNode } from './filter-ast';
export { attributePathKey, formatAttributePath, normaliseName } from './filter-ast';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, parseFilter } from './parse-filter';
export type { ParseOptions } from './parse-filter';
export { formatFilter } from './format-filter';
export { evaluateFilter } from './evaluate-filter';
export type { EvaluateOptions } from './evaluate-filter';
