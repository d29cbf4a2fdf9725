import { auditDatabase } from '../../lifecycle/index.js';
import type { Command } from '../command.js';
import { DATABASE_SETTINGS, withDatabase } from './shared.js';

/** `tripmeter audit`: what is stored, and whether any personal data escaped redaction. */
export const auditCommand: Command = {
  name: 'audit',
  summary:
    'per table: rows, oldest row, free-text columns, redactions; exit 1 on unredacted e-mail/phone/card',
  usage: 'tripmeter audit [--database-url URL | --data-dir DIR] [--schema NAME]',
  flags: {},
  settings: DATABASE_SETTINGS,
  async run({ config, out }) {
    return withDatabase(config, async (database) => {
      const report = await auditDatabase(database);
      for (const t of report.tables) {
        const redactions = Object.entries(t.redactions)
          .filter(([, n]) => n > 0)
          .map(([kind, n]) => `${kind}=${n}`);
        const leaks = Object.entries(t.leaks)
          .filter(([, n]) => n > 0)
          .map(([kind, n]) => `${kind}=${n}`);
        out(
          `${t.schema}.${t.table}: ${t.rows} rows, oldest ${t.oldest?.toISOString() ?? '-'}, ` +
            `free text [${t.freeTextColumns.join(', ')}], redactions {${redactions.join(', ')}}` +
            (leaks.length > 0 ? `, UNREDACTED {${leaks.join(', ')}}` : ''),
        );
      }
      out(
        report.leaks > 0
          ? `FAIL: ${report.leaks} unredacted e-mail, phone or card items stored`
          : 'ok: no unredacted e-mail, phone or card found',
      );
      return report.leaks > 0 ? 1 : 0;
    });
  },
};
