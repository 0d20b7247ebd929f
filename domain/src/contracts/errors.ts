import { z } from 'zod';

/** Error codes a caller can see, with the HTTP status each maps to. */
export const apiErrorStatus = {
  VALIDATION_ERROR: 400,
  MALFORMED_JSON: 400,
  INVALID_CALLBACK_URL: 400,
  /** The verified caller is no partner's: nothing else is said about the request. */
  UNKNOWN_PRINCIPAL: 403,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  DUPLICATE_TRANSACTION_ID: 409,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;
export type ApiErrorCode = keyof typeof apiErrorStatus;

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(apiErrorStatus) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    details: z
      .array(z.object({ path: z.string(), message: z.string(), reason: z.string().optional() }))
      .optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
export type ApiErrorDetail = NonNullable<ApiErrorBody['error']['details']>[number];

/** Flattens zod issues into the `details` list of a 400. */
export const issuesToDetails = (issues: readonly z.core.$ZodIssue[]): ApiErrorDetail[] =>
  issues.map((issue) => {
    const reason =
      issue.code === 'custom' && typeof issue.params?.reason === 'string'
        ? issue.params.reason
        : undefined;
    return {
      path: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
      ...(reason ? { reason } : {}),
    };
  });
