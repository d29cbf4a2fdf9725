/**
 * Model prices: the SQL that prices a provider call (one declaration for the write path's SQL
 * statements and for recomputation) and its JavaScript twin for the bulk path (cost.ts, held equal
 * by a parity test), the shipped price list and its loading into `model_prices`, the `tripmeter
 * prices` operations (list, set, import, recompute).
 */
export { type CallCost, PriceBook, type PricedCall, type PriceRow, pricesSql } from './cost.js';
export { costSql, priceJoin } from './cost-sql.js';
export {
  listPrices,
  loadPrices,
  readPriceFile,
  SHIPPED_PRICES_FILE,
  type StoredPrice,
  versionOf,
  writePrices,
} from './price-table.js';
export { type RecomputeResult, recomputeCosts } from './recompute.js';
