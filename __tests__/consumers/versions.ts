/**
 * The tfjs versions the consumer apps install. The peer range in package.json starts at OLDEST
 * (package.test.ts checks it): 4.6.0 is the first tfjs with `io.CompositeArrayBuffer` and
 * multi-buffer weight data, which fileIO uses; with 4.6.0 the whole unit suite passes.
 */
export const OLDEST_TFJS = '4.6.0';
/** The newest tfjs 4 release, also the repository's devDependency. */
export const NEWEST_TFJS = '4.22.0';
/** An app that already has an older tfjs when it installs the package (the ERESOLVE case). */
export const EXISTING_APP_TFJS = '4.20.0';
