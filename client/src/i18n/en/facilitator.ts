export const facilitator = {
};
