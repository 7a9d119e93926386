import { describe } from 'vitest';
import { clientConformance } from './conformance.ts';
import { httpsHarness } from './harness.ts';

describe('httpsClient', () => {
  clientConformance(httpsHarness);
});
