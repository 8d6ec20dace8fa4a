import { apiException, type ExceptionElement, type Format } from '../render/envelope';
import { formatted, type Reply } from '../http/reply';

/** HTTP 400, ErrorNumber 10: the documents that failed, echoed with their ValidationErrors. */
export function validationException(format: Format, elements: ExceptionElement[]): Reply {
  return formatted(400, format, apiException(format, 10, 'ValidationException', 'A validation exception occurred', elements));
}

/** HTTP 400, ErrorNumber 14: a body that cannot be read (not XML or JSON, malformed, a bad date or enumeration). */
export function postDataInvalid(format: Format, message: string): Reply {
  return formatted(400, format, apiException(format, 14, 'PostDataInvalidException', message));
}

/** HTTP 400, ErrorNumber 16: a `where` or `order` that cannot be parsed. */
export function queryParseError(format: Format, message: string): Reply {
  return formatted(400, format, apiException(format, 16, 'QueryParseException', message));
}

/** HTTP 501, ErrorNumber 20: a method the endpoint does not have. */
export function notImplemented(format: Format): Reply {
  return formatted(501, format, apiException(format, 20, 'ApiMethodNotImplementedException', 'The Api Method called is not implemented'));
}

/** A single validation error about a document or request as a whole (Email, OnlineInvoice, History, …). */
export function validationMessage(format: Format, type: string, fields: Record<string, string>, message: string): Reply {
  return validationException(format, [{ type, fields, errors: [message] }]);
}
