import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const documentId = 'urn:talks-status:openapi';

/**
 * JSON Schema 2020-12 validators for the components of an OpenAPI 3.1 document, refs
 * resolved inside the document. Not strict: the document's own keywords (paths,
 * discriminator, examples) are not JSON Schema vocabulary and are ignored.
 */
export function componentValidators(document: Record<string, unknown>): (id: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: documentId });
  return (id) => {
    const validate = ajv.getSchema(`${documentId}#/components/schemas/${id}`);
    if (validate === undefined) throw new Error(`No component schema ${id}`);
    return validate;
  };
}

/** ajv errors in a form that reads well in a failed assertion. */
export const describeErrors = (validate: ValidateFunction): string[] =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

const metaAjv = new Ajv2020({ strict: false });
/** What makes a schema invalid against the 2020-12 meta-schema (empty when it is valid). */
export function metaSchemaErrors(schema: Record<string, unknown>): string[] {
  return metaAjv.validateSchema(schema) === true ? [] : (metaAjv.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
