/** The end-to-end tests share the demo's moto launcher. */
export { startMoto, type MotoServer } from '../../scripts/lib/moto.js';
