import { render } from 'preact';
import './styles/base.css';
import { App } from './views/app.js';

render(<App />, document.getElementById('app')!);
