/**
 * RFC 9457 problem details: the one place where errors become HTTP. Domain
 * errors map by kind; Fastify's own errors (validation, body size, JSON syntax)
 * by their codes; anything else is a bug, logged in full and answered with a
 * generic 500 that never shows its message.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind, type FieldError } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const PROBLEM_BASE = 'https://fusioncommerce.dev/problems/';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  upstream_unavailable: 502,
  upstream_timeout: 504,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function statusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

/** `CATALOG.DUPLICATE_SKU` → `https://fusioncommerce.dev/problems/catalog.duplicate-sku` */
export function problemType(code: string): string {
  return PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-');
}

function fromValidation(error: FastifyError): AppError {
  const part = error.validationContext ?? 'body';
  const errors: FieldError[] = (error.validation ?? []).map((v) => {
    const params = v.params as { missingProperty?: string; additionalProperty?: string };
    let pointer = `/${part}${v.instancePath}`;
    let message = v.message ?? 'is invalid';
    if (params.missingProperty) {
      pointer += `/${params.missingProperty}`;
      message = 'is required';
    } else if (params.additionalProperty) {
      pointer += `/${params.additionalProperty}`;
      message = 'is not a known field';
    }
    return { pointer, message };
  });
  const fields = errors.map((e) => e.pointer).join(', ');
  return new AppError('REQUEST.VALIDATION_FAILED', 'invalid', `The ${part} is not valid: ${fields}.`, { errors });
}

/** Fastify's framework errors, by code, as domain errors with stable codes. */
function fromFramework(error: FastifyError): AppError | undefined {
  if (error.validation) return fromValidation(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('REQUEST.BODY_TOO_LARGE', 'payload_too_large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'unsupported_media_type', 'Send JSON with Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('REQUEST.EMPTY_BODY', 'invalid', 'The request has Content-Type application/json but no body.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('REQUEST.MALFORMED_JSON', 'invalid', 'The request body is not valid JSON.');
    case 'FST_ERR_BAD_URL':
      return new AppError('REQUEST.BAD_URL', 'invalid', 'The URL is not validly percent-encoded.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('REQUEST.PARAMETER_TOO_LONG', 'invalid', 'A path parameter is longer than any id this API hands out.');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_TYPE') {
    return new AppError('REQUEST.MALFORMED_JSON', 'invalid', 'The request body is not valid JSON.');
  }
  if (error.statusCode === 429) {
    return new AppError('REQUEST.RATE_LIMITED', 'rate_limited', error.message);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const kind = (Object.entries(STATUS).find(([, s]) => s === error.statusCode)?.[0] ?? 'invalid') as ErrorKind;
    return new AppError(`REQUEST.${(error.code ?? 'BAD_REQUEST').replace(/^FST_ERR_/, '')}`, kind, error.message);
  }
  return undefined;
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const appError = error instanceof AppError ? error : fromFramework(error as FastifyError);
  if (!appError) {
    return {
      type: problemType('INTERNAL'),
      title: TITLE[500] as string,
      status: 500,
      detail: 'Something went wrong on our side. It has been logged; quote the request id if you report it.',
      instance: request.url,
      code: 'INTERNAL',
      requestId: request.id,
    };
  }
  const status = statusOf(appError.kind);
  return {
    ...appError.extensions,
    type: problemType(appError.code),
    title: TITLE[status] ?? 'Error',
    status,
    detail: appError.message,
    instance: request.url,
    code: appError.code,
    requestId: request.id,
    ...(appError.errors ? { errors: appError.errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request);
  if (problem.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: problem.code, status: problem.status }, problem.detail);
  }
  if (problem.status === 429 || problem.status === 503) {
    const retryAfter = (error as { retryAfter?: number }).retryAfter;
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  }
  return sendProblem(reply, problem);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, {
    type: problemType('REQUEST.ROUTE_NOT_FOUND'),
    title: TITLE[404] as string,
    status: 404,
    detail: `There is no ${request.method} ${request.url.split('?')[0]} here.`,
    instance: request.url,
    code: 'REQUEST.ROUTE_NOT_FOUND',
    requestId: request.id,
  });
}

/** Reusable OpenAPI description of a problem response. */
export const ProblemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'message'],
        properties: { pointer: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
} as const;
