import type { DataSource } from 'typeorm';

/**
 * Compares the organisation row counts (src/organisations/organisation-row-counts.ts) with COUNT(*) of the rows they
 * stand for, per organisation. Every e2e app runs it when it closes, so a code path that inserts or deletes users or
 * teams without keeping the count fails the suite that exercised it.
 *
 * Returns the disagreements, e.g. `users of org-1: counted 3, stored 2`; none is an empty list.
 */
export async function rowCountDisagreements(dataSource: DataSource): Promise<string[]> {
  const disagreements: string[] = [];
  for (const table of ['users', 'teams'] as const) {
    const stored = await totalsByOrganisation(dataSource, `SELECT organisationId, COUNT(*) AS n FROM ${table} GROUP BY organisationId`);
    const counted = await totalsByOrganisation(
      dataSource,
      `SELECT organisationId, SUM(total) AS n FROM organisation_row_counts WHERE tableName = '${table}' GROUP BY organisationId`,
    );
    for (const organisationId of new Set([...stored.keys(), ...counted.keys()])) {
      const rows = stored.get(organisationId) ?? 0;
      const count = counted.get(organisationId) ?? 0;
      if (rows !== count) disagreements.push(`${table} of ${organisationId}: counted ${count}, stored ${rows}`);
    }
  }
  return disagreements;
}

async function totalsByOrganisation(dataSource: DataSource, sql: string): Promise<Map<string, number>> {
  const rows: { organisationId: string; n: number | string }[] = await dataSource.query(sql);
  return new Map(rows.map((row) => [row.organisationId, Number(row.n)]));
}
