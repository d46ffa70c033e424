import { monoMs } from '../shared/clock';
import type { Usage } from '../shared/ipc';
import type { ServerProcess } from './server-process';

/** CPU seconds spent by the server and by the generator (this process) over one measured window. */
export interface CpuWindow {
  readonly seconds: number;
  readonly serverCpu: number;
  readonly generatorCpu: number;
}

/** Starts a measured window; call the returned function to close it. */
export async function openCpuWindow(server: ServerProcess): Promise<() => Promise<CpuWindow>> {
  const serverStart: Usage = await server.usage();
  const generatorStart = process.cpuUsage();
  const start = monoMs();
  return async () => {
    const end = monoMs();
    const generator = process.cpuUsage(generatorStart);
    const serverEnd = await server.usage();
    return {
      seconds: (end - start) / 1000,
      serverCpu: (serverEnd.user + serverEnd.system - serverStart.user - serverStart.system) / 1e6,
      generatorCpu: (generator.user + generator.system) / 1e6,
    };
  };
}
