/** A port another process holds, said in one line naming the variable that moves it. */
export class PortInUse extends Error {
  override name = 'PortInUse';
}

/** The error for a port another process holds: one line naming the port and the variable that moves it. */
export function portInUse(port: number, variable: string): PortInUse {
  return new PortInUse(`port ${port} is already in use: set ${variable} to a free port`);
}

/** A listen error as a person should read it: a taken port becomes PortInUse, anything else stays. */
export function asPortInUse(err: unknown, port: number, variable: string): unknown {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE' ? portInUse(port, variable) : err;
}
