import type { Partner } from '@creditline/adapters/config/env';
import { noProgramControls, type ProgramControls } from '@creditline/domain';

/**
 * Each partner's program defaults (the stack file's `partners[].controls`): the controls and
 * monitors of its users until it sets their own. A partner without any, or no partner, has none.
 */
export const programControlsOf = (
  partners: readonly Partner[],
): ((partnerId: string | undefined) => ProgramControls) => {
  const programs = new Map(
    partners.map((partner) => [partner.id, partner.controls ?? noProgramControls]),
  );
  return (partnerId) =>
    (partnerId === undefined ? undefined : programs.get(partnerId)) ?? noProgramControls;
};
