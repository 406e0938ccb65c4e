/** The PdM Studio mark: a trend line on the brand gradient (styled by ShellStyles' .pdm-logo). */
export function LogoMark({ size = 34 }: { size?: number }) {
  return (
    <svg viewBox="0 0 64 64" aria-hidden="true" className="pdm-logo" width={size} height={size}>
      <defs>
        <linearGradient id="pdm-logo-g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#667eea" />
          <stop offset="1" stopColor="#764ba2" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="15" fill="url(#pdm-logo-g)" />
      <path d="M10 36h10l5-12 8 22 6-16 4 6h11" fill="none" stroke="#fff" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
