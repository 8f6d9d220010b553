// Entry of dist/parquet.js: hyparquet on its own, loaded the first time a Parquet artifact is read (see
// scripts/bundlePlugins.cjs hyparquetSibling).
export * from 'hyparquet';
