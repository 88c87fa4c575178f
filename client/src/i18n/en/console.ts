export const console = {
};
