/** The bounds of every text and list, apart from the schemas so a page can show them without loading zod. */
export const limits = {
  nameLength: 40,
  promptLength: 300,
  feedbackTextLength: 500,
  /** The least k a feedback prompt may have (see shared/session/feedback.ts). */
  feedbackMinK: 3,
  roleLength: 40,
  titleLength: 120,
  settingLength: 500,
  agendaPhases: 12,
  castSize: 8,
  problemLength: 300,
  optionLength: 200,
  problemOptions: 24,
  timeBoxSeconds: 60 * 60,
  /** The shortest time box: the panel offers 30 s; shorter ones let tests see a turn run out quickly. */
  timeBoxMinSeconds: 10,
} as const;
