// The little of a Smithy model the awsQuery protocol needs to read a form-encoded request: which
// members are lists (`Name.member.N`), structures, maps, and which scalars are numbers, booleans or
// timestamps (form values are all text).

export type ScalarShape = 'string' | 'integer' | 'double' | 'boolean' | 'timestamp';

export interface ListShape {
  readonly list: Shape;
}

export interface StructureShape {
  readonly structure: Readonly<Record<string, Shape>>;
}

export type Shape = ScalarShape | ListShape | StructureShape;

/** What a service needs to speak awsQuery besides its JSON protocol. */
export interface QueryProtocol {
  /** The `Version` form value, e.g. `2010-08-01`. */
  readonly version: string;
  /** The XML namespace of responses and errors. */
  readonly xmlNamespace: string;
  /** Input shape per operation. */
  readonly inputs: Readonly<Record<string, StructureShape>>;
}

export const list = (member: Shape): ListShape => ({ list: member });
export const structure = (members: Readonly<Record<string, Shape>>): StructureShape => ({ structure: members });
