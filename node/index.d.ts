/** The absolute path of the compiled extension (dist/fin.so in the package). */
export function getLoadablePath(): string;
/** Loads sqlite-fin into a database with loadExtension(path), such as better-sqlite3's; returns it. */
export function load<T extends { loadExtension(path: string): unknown }>(db: T): T;
/** The package's version, the extension's fin_version() without the leading v. */
export const version: string;
