/**
 * The tool paths moved to config/tools.ts (every environment variable is read in config/);
 * this module keeps the old import path for its users.
 */
export { dockerComposeCommand, toolPaths, toolsEnvFile, type ToolPaths } from '../../config/tools.js';
