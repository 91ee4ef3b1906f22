/**
 * The tfjs versions the consumer apps install. The peer range in package.json starts at OLDEST
 * (package.test.ts checks it): the unit suite passes against tfjs 4.9.0 and not 4.8.0
 * (docs/install.md, "Why 4.9").
 */
export const OLDEST_TFJS = '4.9.0';
/** The newest tfjs 4 release, also the repository's devDependency. */
export const NEWEST_TFJS = '4.22.0';
/** An app that already has an older tfjs when it installs the package (the ERESOLVE case). */
export const EXISTING_APP_TFJS = '4.20.0';
