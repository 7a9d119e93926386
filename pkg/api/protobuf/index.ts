export { decodeKubernetesProtobuf, protobufMagic, UnsupportedProtobufError } from './envelope.ts';
export { messageFor, protobufKinds } from './kinds.ts';
export { decodeMessage } from './decode.ts';
export { schema as protobufSchema } from './kinds.ts';
export { ProtobufError } from './wire.ts';
export { goDuration } from './well-known.ts';
