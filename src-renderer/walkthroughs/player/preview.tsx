/** The player layer alone (browser test page; the overlay mounts `<PlayerLayer />` the same way). */
import { createRoot } from 'react-dom/client';
import '../../common/base.css';
import { PlayerLayer } from './PlayerLayer';

createRoot(document.getElementById('root')!).render(<PlayerLayer />);
