// One VS Code window's renewal, as its own process: `node --import tsx refresh-window.ts <bag> <lockDir> <origin>`
// prints the access token it ends up with. The sign-in test starts two at once against the same secret store.
import { HttpClient } from '../../client/src/endpoint/http';
import { identityUrlsFor } from '../../client/src/auth/identity-urls';
import { Sessions } from '../../client/src/auth/session';
import { FileBag } from './file-bag';

const [bagPath, lockDir, origin] = process.argv.slice(2);
const sessions = new Sessions({ bag: new FileBag(bagPath), lockDir, http: () => new HttpClient({ timeoutMs: 10_000 }), urlsFor: (o) => identityUrlsFor(new URL(o)) });
sessions.accessToken(origin).then(
  (token) => process.stdout.write(token),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
