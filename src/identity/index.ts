/**
 * Identity linkage (phase 3 of the plan): at login, link the browser's anonymous session id to
 * the user id, backfill recent rows, and let later rows carry both ids.
 */
export { checkSubjectId, SubjectIdError, type SubjectIdErrorCode } from '../domain/index.js';
export {
  type LinkIdentityInput,
  type LinkIdentityOptions,
  type LinkIdentityResult,
  linkIdentity,
} from './link-identity.js';
