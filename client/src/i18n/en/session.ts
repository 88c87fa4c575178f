export const session = {
};
