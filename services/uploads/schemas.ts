/**
 * The payloads of the upload routes (tus 1.0.0): headers in, the created upload out. The bytes
 * themselves are `application/offset+octet-stream`, read as a stream (api/routes/uploads/).
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { uploadContentTypes, uploadStatuses } from '../../domain/uploads/uploads.js';

const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,15}$', description });

export const UploadParamsSchema = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: 'upload id (from Location)' }) },
  { additionalProperties: false },
);
export type UploadParams = Static<typeof UploadParamsSchema>;

const TusResumable = Type.Optional(Type.String({ pattern: '^[0-9.]{1,16}$', description: 'tus version: 1.0.0' }));

export const UploadCreateHeadersSchema = Type.Object({
  'upload-length': Digits('The size of the whole file in bytes; at most 26214400 (25 MB), more is refused with 413'),
  'upload-metadata': Type.Optional(
    Type.String({ maxLength: 4096, pattern: '^[\\x20-\\x7e]*$', description: 'tus metadata: comma-separated "key base64value"; `filename` is kept' }),
  ),
  'tus-resumable': TusResumable,
});

export const UploadPatchHeadersSchema = Type.Object({
  'upload-offset': Digits('The offset these bytes start at; must equal the stored offset (HEAD), else 409'),
  'tus-resumable': TusResumable,
});

export const UploadTusHeadersSchema = Type.Object({ 'tus-resumable': TusResumable });

export const UploadCreatedSchema = Type.Object(
  {
    id: Type.String(),
    location: Type.String({ description: 'where to HEAD, PATCH and DELETE it (also in the Location header)' }),
    length: Type.Integer({ minimum: 0 }),
    offset: Type.Integer({ minimum: 0 }),
    status: literalUnion(uploadStatuses),
  },
  { $id: 'UploadCreated', additionalProperties: false },
);

export const UploadContentTypeSchema = literalUnion(uploadContentTypes);
