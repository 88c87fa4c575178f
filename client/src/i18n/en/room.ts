export const room = {
};
