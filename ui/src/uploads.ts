/**
 * Resumable uploads (tus 1.0.0, tus-js-client) against the API's /uploads: the file goes in
 * chunks of 5 MB, an interrupted upload resumes from the offset the server reports (the
 * client's fingerprint is kept until it succeeded), and progress is reported as it goes.
 * Answers the upload's id, to attach it to a checklist line.
 */
import * as tus from 'tus-js-client';
import { getCsrf } from './api';

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function uploadFile(file: File, token: string, onProgress: (sent: number, total: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    if (file.size > MAX_UPLOAD_BYTES) {
      reject(new Error(`Het bestand is groter dan 25 MB (${Math.ceil(file.size / 1024 / 1024)} MB)`));
      return;
    }
    const upload = new tus.Upload(file, {
      endpoint: '/uploads',
      // No token: the session cookie goes by itself, with its CSRF token (the portal always has a token).
      headers: token ? { authorization: `Bearer ${token}` } : { 'x-csrf-token': getCsrf() ?? '' },
      metadata: { filename: file.name },
      chunkSize: 5 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      removeFingerprintOnSuccess: true,
      onProgress,
      onError: (err) => {
        const body = (err as { originalResponse?: { getBody(): string } }).originalResponse?.getBody();
        let detail = err.message;
        try {
          const problem = body ? (JSON.parse(body) as { detail?: string }) : undefined;
          if (problem?.detail) detail = problem.detail;
        } catch {
          // not a problem+json body: keep tus-js-client's message
        }
        reject(new Error(detail));
      },
      onSuccess: () => {
        const id = upload.url?.split('/').pop();
        if (id) resolve(id);
        else reject(new Error('De server gaf geen adres voor de upload'));
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}

export function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.ceil(bytes / 1024)} kB`;
}
