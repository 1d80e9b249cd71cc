/**
 * Keeps the layout (navigation, sign-out) when one page fails to render: the adviser reads what went wrong in the
 * main area and can go elsewhere, instead of facing a blank window. Keyed by the path in main.tsx, so moving to
 * another page starts afresh.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error?: Error;
}

export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The console is where a developer (and the browser tests' console check) looks for the cause.
    console.error('page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section>
        <h1>Deze pagina kon niet worden getoond</h1>
        <div role="alert" className="alert alert-error">
          <strong>Fout in de weergave: </strong>
          {error.message}
        </div>
        <p>Herlaad de pagina of kies een ander onderdeel in het menu. Blijft het gebeuren, meld dan deze foutmelding aan beheer.</p>
      </section>
    );
  }
}
