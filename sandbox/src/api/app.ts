import type { Documents } from '../domain/documents';
import type { Payments } from '../domain/payments';
import type { Validator } from '../domain/validation';
import type { Auth } from '../http/auth';
import type { Store } from '../store/store';

/** What the API handlers work with. */
export interface App {
  store: Store;
  docs: Documents;
  payments: Payments;
  validator: Validator;
  auth: Auth;
  /** Resolves once every change to the sign-ins made so far is on disk (answers that hand out tokens wait for it). */
  signInsSaved(): Promise<void>;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl(): string;
}
