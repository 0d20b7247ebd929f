import { userEntity, type Violation } from '../../checker/verdicts.js';
import { accountOf, lowerAvailable, upperAvailable, type ModelState } from '../state.js';

/**
 * Reads during the run: a balance must lie between the least and the most that any order of the
 * operations in flight allows; a user with credit is never "no such user".
 */
export interface BoundsSnapshot {
  readonly lower: number;
  readonly upper: number;
  readonly credited: number;
}

export const balanceBounds = (state: ModelState, partner: string, user: string): BoundsSnapshot => {
  const account = accountOf(state, partner, user);
  return {
    lower: lowerAvailable(account),
    upper: upperAvailable(account),
    credited: account.credited,
  };
};

/** `atStart` before the read left, `atEnd` after it came back: the truth was somewhere in between. */
export const balanceRead = (
  op: number,
  partner: string,
  user: string,
  observed: number | null,
  atStart: BoundsSnapshot,
  atEnd: BoundsSnapshot,
): Violation[] => {
  const entities = [userEntity(partner, user)];
  if (observed === null) {
    return atStart.credited > 0
      ? [
          {
            kind: 'inconsistent-read',
            op,
            entities,
            message: `${partner}/${user}: balance read says no such user, yet ${atStart.credited} was credited before the read`,
          },
        ]
      : [];
  }
  const lower = Math.min(atStart.lower, atEnd.lower);
  const upper = Math.max(atStart.upper, atEnd.upper);
  if (observed < 0)
    return [
      { kind: 'overspend', op, entities, message: `${partner}/${user}: available ${observed} < 0` },
    ];
  if (observed > upper)
    return [
      {
        kind: 'double-credit',
        op,
        entities,
        message: `${partner}/${user}: available ${observed} is above the most any order allows (${upper})`,
      },
    ];
  if (observed < lower)
    return [
      {
        kind: 'double-debit',
        op,
        entities,
        message: `${partner}/${user}: available ${observed} is below the least any order allows (${lower})`,
      },
    ];
  return [];
};
