import type { IconPaths } from './iconPaths';

export { NAV_ICONS, SHELL_ICONS, type IconPaths } from './iconPaths';

/** A 24×24 icon as a plain <svg> (1em square; ShellStyles' .pdm-icon sizes it: 24 px, or 20 px when small). */
export function PathIcon({ paths, small = false }: { paths: IconPaths; small?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="pdm-icon" data-size={small ? 'small' : undefined}>
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
