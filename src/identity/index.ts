/**
 * Identity linkage (phase 3 of the plan): at login, link the browser's anonymous session id to
 * the user id, backfill recent rows, and let later rows carry both ids. When login happens in the
 * browser, verify the app's access token first (`createAccessTokenVerifier`): its `sub` is the user.
 */

export { checkSubjectId, SubjectIdError, type SubjectIdErrorCode } from '../domain/index.js';
export {
  AccessTokenError,
  type AccessTokenSettings,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  type VerifiedAccessToken,
} from './access-token.js';
export {
  type LinkIdentityInput,
  type LinkIdentityOptions,
  type LinkIdentityResult,
  linkIdentity,
} from './link-identity.js';
