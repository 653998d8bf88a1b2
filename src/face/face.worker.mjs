// Worker-thread entry: worker threads do not inherit the tsx loader of the thread that
// started them, so register it here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';
register();
await import('./face.worker.ts');
