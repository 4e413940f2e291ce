/** Files other tools read a border0 token from; export writes only these names. */
export const TOKEN_FILE_NAMES = ['.border0_token', '.mysocketio_token', '~/.border0/token'];
