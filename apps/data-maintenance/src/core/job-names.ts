/** The service's scheduled jobs (DESIGN 5.1); daily_maintenance is the task cycle of one session. */
export const JOB_NAMES = ['new_day', 'daily_maintenance', 'weekly_cleanup'] as const;
export type JobName = (typeof JOB_NAMES)[number];
