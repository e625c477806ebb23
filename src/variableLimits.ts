/** VARIABLE_SITE_LIMIT is the most sites a variable lists (the backend's maximum for /sites). */
export const VARIABLE_SITE_LIMIT = 500;
