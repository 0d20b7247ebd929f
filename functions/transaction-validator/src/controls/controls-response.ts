import {
  errorResponse,
  jsonResponse,
  type HttpResponse,
} from '@creditline/adapters/http/api-gateway-response';
import type { ControlsResponse } from '@creditline/domain';
import { etagOf, type PutControlsOutcome } from './controls-api.js';

export type ControlsAnswer =
  PutControlsOutcome | { readonly type: 'found'; readonly controls: ControlsResponse };

/** Controls answers carry their version as the ETag, for the next If-Match. */
export const controlsResponse = (answer: ControlsAnswer): HttpResponse => {
  switch (answer.type) {
    case 'found':
    case 'saved':
      return jsonResponse(200, answer.controls, { etag: etagOf(answer.controls.version) });
    case 'invalid':
      return errorResponse('VALIDATION_ERROR', 'the controls are invalid', {
        details: answer.details,
      });
    case 'not-found':
      return errorResponse('NOT_FOUND', 'no such user');
    case 'precondition-failed':
      return errorResponse(
        'PRECONDITION_FAILED',
        `the controls changed since version was read: they are at version ${answer.current.version}`,
        {
          headers: { etag: etagOf(answer.current.version) },
          details: [
            {
              path: 'If-Match',
              message: `current version is ${etagOf(answer.current.version)}`,
              reason: 'STALE_VERSION',
            },
          ],
        },
      );
  }
};
