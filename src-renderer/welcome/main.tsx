/** The first-run card's window. */
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import { WelcomeApp } from './WelcomeApp';

createRoot(document.getElementById('root')!).render(<WelcomeApp />);
