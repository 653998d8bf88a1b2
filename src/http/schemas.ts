/** Schemas every route module shares: ids and the problem+json body of a refusal. */
import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

export const Problem = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()),
}, { additionalProperties: true });
