/** The walkthrough library window: browse, search, filter by app, open, edit steps, delete, export. */
import { createRoot } from 'react-dom/client';
import '../../common/base.css';
import { LibraryApp } from './LibraryApp';

createRoot(document.getElementById('root')!).render(<LibraryApp />);
