/** At most this many events in one submission; apart from the schemas so readers page by it without building them. */
export const maxEventsPerSubmission = 25;
