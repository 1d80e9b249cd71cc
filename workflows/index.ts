/** Bundle entry of the worker: every workflow type the platform runs. */
export { productWorkflow } from './product/product.workflow.js';
