/**
 * The product's status icon: the colour is the category of its status (blue new, green
 * running, red ended), the pictogram is the product type. Announced as text to screen readers.
 */
import { categoryLabel, productTypeLabel } from '../labels';

const colours: Record<string, string> = { new: '#1f6feb', running: '#1a7f37', ended: '#cf222e' };

function Pictogram({ type }: { type: string }) {
  switch (type) {
    case 'mortgage': // a house
      return <path d="M12 5 5 11v8h5v-5h4v5h5v-8z" fill="#fff" />;
    case 'insurance': // a shield
      return <path d="M12 4 6 6.5V11c0 4 2.6 7.2 6 8.5 3.4-1.3 6-4.5 6-8.5V6.5z" fill="#fff" />;
    case 'service': // a document
      return (
        <g fill="none" stroke="#fff" strokeWidth="1.6">
          <rect x="7" y="5" width="10" height="14" rx="1" />
          <path d="M9.5 9h5M9.5 12h5M9.5 15h3" />
        </g>
      );
    default:
      return <circle cx="12" cy="12" r="4" fill="#fff" />;
  }
}

export function StatusIcon({ type, category, statusLabel }: { type: string; category: string; statusLabel: string }) {
  const label = `${productTypeLabel(type)}, status ${statusLabel}, categorie ${categoryLabel[category] ?? category}`;
  return (
    <svg className="status-icon" role="img" aria-label={label} width="32" height="32" viewBox="0 0 24 24" data-category={category}>
      <title>{label}</title>
      <circle cx="12" cy="12" r="12" fill={colours[category] ?? '#6e7781'} />
      <Pictogram type={type} />
    </svg>
  );
}
