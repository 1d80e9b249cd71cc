/** Task queues. One queue for now; integrations with rate limits get their own later. */
export const taskQueues = {
  main: 'dossierflow',
} as const;
