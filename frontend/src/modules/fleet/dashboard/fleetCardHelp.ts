/** The line under each fleet card's count. */
export const FLEET_CARD_HELP = {
  healthy: 'Operating normally',
  degrading: 'Early signs of wear',
  warning: 'Plan maintenance soon',
  critical: 'Act now',
} as const;
