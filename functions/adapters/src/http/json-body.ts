import { err, ok, type Result } from '@creditline/domain';

export interface JsonBodyError {
  readonly code: 'PAYLOAD_TOO_LARGE' | 'MALFORMED_JSON';
  readonly message: string;
}

/** The part of an HTTP API (payload v2) event that carries the body. */
export interface HttpBody {
  readonly body?: string | undefined;
  readonly isBase64Encoded: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and parses a JSON request body. The size limit applies to the bytes the client sent,
 * and is checked before any decoding or parsing work is spent on an oversized body.
 */
export const readJsonBody = ({ body, isBase64Encoded }: HttpBody, maxBytes: number): Result<unknown, JsonBodyError> => {
  if (body === undefined || body === '') return err({ code: 'MALFORMED_JSON', message: 'the request has no body' });
  // Base64 carries 3 bytes in 4 characters; a UTF-16 string has at least one byte per unit.
  const lowerBound = isBase64Encoded ? Math.floor((body.length * 3) / 4) - 2 : body.length;
  if (lowerBound > maxBytes) return tooLarge(maxBytes);
  let text: string;
  if (isBase64Encoded) {
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length > maxBytes) return tooLarge(maxBytes);
    try {
      text = utf8.decode(bytes);
    } catch {
      return err({ code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' });
    }
  } else {
    if (Buffer.byteLength(body, 'utf8') > maxBytes) return tooLarge(maxBytes);
    text = body;
  }
  try {
    return ok(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown);
  } catch {
    // The parser's own message quotes the body: it is not echoed back.
    return err({ code: 'MALFORMED_JSON', message: 'the body is not valid JSON' });
  }
};

const tooLarge = (maxBytes: number): Result<unknown, JsonBodyError> =>
  err({ code: 'PAYLOAD_TOO_LARGE', message: `the body exceeds ${maxBytes} bytes` });
