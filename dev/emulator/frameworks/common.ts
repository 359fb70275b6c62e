// What the four framework stand-ins share: the jobs a server defines (the same names and grades in each
// framework's own shape) and the controls a test or the sandbox drives them with, standing for what the
// framework does on its own (a character loads, its own admin command, a duty toggle, a logout).

/** Job name -> grade labels, grade 0 first. */
export const JOB_DEFINITIONS: Record<string, string[]> = {
  unemployed: ['Freelancer'],
  police: ['Recruit', 'Officer', 'Sergeant', 'Chief'],
  sheriff: ['Deputy', 'Sergeant', 'Sheriff'],
  ambulance: ['EMT', 'Paramedic', 'Doctor'],
  mechanic: ['Trainee', 'Mechanic', 'Boss'],
};

/** Globals of the stand-in's own resource (FXServer's natives and its JS bootstrap). */
export type ResourceGlobals = Record<string, any>;

export interface FrameworkStandIn {
  /** The resource name the real framework runs as. */
  resource: string;
  /** Runs in the stand-in's resource (emulator startResource main). */
  main(g: ResourceGlobals): void;
  /** A character loads with the job saved in the framework's database (the framework's login event). */
  login(src: number, job: string, grade?: number): void;
  /** The framework's own admin command (`/setjob`): its own job-setting call, from its own resource. */
  adminSetJob(src: number, job: string, grade?: number): void;
  /** The player toggles duty the way this framework does it. */
  toggleDuty(src: number): void;
  /** Every job the framework holds for the player (primary first); null when no character is loaded. */
  jobsOf(src: number): string[] | null;
  /** What another resource (a boss menu, a job centre) calls to set a job, as source code of a JS resource exporting `hire(src, job, grade)`. */
  hireResource: string;
}
