export { esxStandIn } from './esx';
export { qbcoreStandIn } from './qbcore';
export { qboxStandIn } from './qbox';
export { oxStandIn } from './ox';
export { JOB_DEFINITIONS, type FrameworkStandIn } from './common';
