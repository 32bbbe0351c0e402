// NIST SP 800-63B: at least 8 characters, allow at least 64, no composition rules.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
