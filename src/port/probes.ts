/** The engine port's probes: privileges and read-only servers (dialects/<d>/port-probes.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ProbePort {}
