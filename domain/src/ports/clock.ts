/** Time comes in through this port so the core never reads the clock itself. */
export interface Clock {
  now(): Date;
}
