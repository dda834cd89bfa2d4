/** `npm run status`: reads a deployment and says whether alerts can reach people (issue 12). */
export { collectStatus, type RegionClients, type StatusOptions } from "./collect";
export { renderStatus } from "./render";
export { AREAS, EXIT, isHealthy, problems, type Area, type Check, type StatusReport } from "./model";
